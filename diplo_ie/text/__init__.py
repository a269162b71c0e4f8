"""Raw input to prepared document: normalization with an offset map, cleaning, sentences, checks."""
