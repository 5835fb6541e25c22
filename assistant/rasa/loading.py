"""How our Rasa launcher (`assistant.rasa.server`) loads the trained model: faster, and into less
memory, with the same predictions. Measured on this 2-core machine kind, one Rasa process:

- **The dialogue model (TED) without a training step.** To create its weights before reading
  them from the model, Rasa 3.6 trains TED for one step on one example (`RasaModel.load`): with
  the tracing of the whole training graph, about 10 s of every start, and the training graph,
  gradients and optimizer state kept in memory (about 200 MB). Here one eager prediction
  creates the weights that prediction reads, the trained weights are read over them, and the
  prediction graph is traced as Rasa does. Every weight and every label embedding is the same as
  after Rasa's own loading (tested); fine-tuning still goes through Rasa's code.
- **skops before TensorFlow.** Loading the intent classifier imports skops, which looks up the
  module of each numpy and scipy ufunc with `pickle.whichmodule`, a walk through every loaded
  module: 3.7 s once TensorFlow's 5,700 modules are loaded, 0.8 s before.
- **spaCy once, without what nothing reads.** Rasa 3.6 loads the spaCy model once per graph node
  that needs it (twice here, about 420 MB more with fr_core_news_md): both nodes now get the same
  loaded `Language`, which they only read. The entity recogniser (no SpacyEntityExtractor in
  config.yml) and the parser (which Rasa disables) are not loaded, nor is the model's string
  table (712,952 strings, 128 MB): spaCy looks vectors and lemmas up by hash or by the token's
  own text, and adds each string it meets while reading a message, so tokens, lemmas, tags and
  vectors are the same without it (tested on every NLU example).
- **Memory given back.** Loading leaves about 50 MB of freed memory in glibc's heaps, which it
  keeps: `malloc_trim` gives it back to the system once the model is loaded.
"""

from __future__ import annotations

import ctypes
import gc
from typing import Any

# Not loaded: our pipeline reads no dependency, no entity, and needs no stored string.
UNREAD_SPACY_PARTS = ("parser", "ner", "strings")


def load_faster_into_less_memory() -> None:
    load_spacy_models_once()
    load_tf_models_without_training_step()
    release_memory_after_loading()


def import_skops_before_tensorflow() -> None:
    """Import skops while few modules are loaded (see the module's docstring)."""
    import skops.io  # noqa: F401


def load_tf_models_without_training_step() -> None:
    """Make `RasaModel.load` create the weights with one prediction instead of one training step."""
    import tensorflow as tf
    from rasa.utils.tensorflow import models
    from rasa.utils.tensorflow.constants import LEARNING_RATE, RUN_EAGERLY

    rasa_load = models.RasaModel.load.__func__  # type: ignore[attr-defined]

    def load(
        cls: type[models.RasaModel],
        model_file_name: str,
        model_data_example: Any,
        predict_data_example: Any = None,
        finetune_mode: bool = False,
        *args: Any,
        **kwargs: Any,
    ) -> models.RasaModel:
        if finetune_mode or not predict_data_example:  # training goes on: Rasa's own loading
            return rasa_load(  # type: ignore[no-any-return]
                cls, model_file_name, model_data_example, predict_data_example, finetune_mode, *args, **kwargs
            )
        model = cls(*args, **kwargs)
        config = kwargs.get("config", {})
        run_eagerly = config.get(RUN_EAGERLY)
        optimizer = tf.keras.optimizers.Adam(config.get(LEARNING_RATE, 0.001))
        model.compile(optimizer=optimizer, run_eagerly=run_eagerly)
        model.run_eagerly = True  # creates the weights without tracing a graph
        model.run_inference(predict_data_example)
        model.run_eagerly = run_eagerly
        model.load_weights(model_file_name).expect_partial()  # the optimizer's state is not needed
        # What the first prediction computed from the initial weights (label embeddings, the traced
        # graph that captured them) is computed again from the trained ones, as Rasa's load does.
        model.prepared_for_prediction = False
        model._tf_predict_step = None
        model.run_inference(predict_data_example)
        return model

    models.RasaModel.load = classmethod(load)  # type: ignore[assignment]


def load_spacy_models_once() -> None:
    """Make SpacyNLP give every caller of one model name the same loaded model, without the
    parts whose content nothing reads."""
    import spacy
    from rasa.nlu.utils.spacy_utils import SpacyModel, SpacyNLP

    load = SpacyNLP.load_model
    loaded: dict[str, Any] = {}

    def load_once(spacy_model_name: str) -> Any:
        if spacy_model_name in loaded:
            return loaded[spacy_model_name]
        if not spacy_model_name:
            return load(spacy_model_name)  # Rasa's error, with its advice
        try:
            language = spacy.load(spacy_model_name, exclude=list(UNREAD_SPACY_PARTS))
        except OSError:
            return load(spacy_model_name)  # not installed: Rasa's error, with its advice
        required = language.meta.get("spacy_version", "")
        if not spacy.util.is_compatible_version(spacy.about.__version__, required):
            return load(spacy_model_name)  # Rasa's error about the version
        loaded[spacy_model_name] = SpacyModel(model=language, model_name=spacy_model_name)
        return loaded[spacy_model_name]

    SpacyNLP.load_model = staticmethod(load_once)


def release_memory_after_loading() -> None:
    """Give the memory freed while the model loaded back to the system (glibc only)."""
    import rasa.core.run as run

    load = run.load_agent_on_start

    async def load_then_release(*args: Any, **kwargs: Any) -> Any:
        agent = await load(*args, **kwargs)
        release_free_memory()
        return agent

    run.load_agent_on_start = load_then_release


def release_free_memory() -> bool:
    """`malloc_trim(0)`: False where the C library has none (not glibc)."""
    gc.collect()
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):
        return False
    trim(0)
    return True
