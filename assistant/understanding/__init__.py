"""Understanding a message: one router combines the classifier, the search and the dialogue state."""
