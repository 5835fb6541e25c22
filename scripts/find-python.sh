#!/usr/bin/env bash
# Print the path of a working Python 3.10 interpreter, or explain what to install.
# Rasa 3.6 needs Python 3.10 (it does not support 3.11 and later).
set -u

is_310() {
    "$1" -c 'import sys, venv; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' >/dev/null 2>&1
}

candidates=()
[ -n "${PYTHON310:-}" ] && candidates+=("$PYTHON310")
if command -v pyenv >/dev/null 2>&1; then
    root=$(pyenv root 2>/dev/null)
    [ -n "$root" ] && candidates+=($(ls -d "$root"/versions/3.10.*/bin/python 2>/dev/null | sort -V -r))
fi
candidates+=($(ls -d "$HOME"/.pyenv/versions/3.10.*/bin/python 2>/dev/null | sort -V -r))
candidates+=(python3.10 /usr/bin/python3.10 /usr/local/bin/python3.10 python3 python)

for candidate in "${candidates[@]}"; do
    path=$(command -v "$candidate" 2>/dev/null) || continue
    if is_310 "$path"; then
        echo "$path"
        exit 0
    fi
done

cat >&2 <<'MSG'
Python 3.10 est introuvable : Rasa 3.6 en a besoin (3.11 et plus ne sont pas pris en charge).
Installez-le, par exemple :
  - Debian/Ubuntu : sudo apt-get install python3.10 python3.10-venv
  - pyenv         : pyenv install 3.10
puis relancez la commande, ou indiquez son chemin : make PYTHON310=/chemin/vers/python3.10 ...
MSG
exit 1
