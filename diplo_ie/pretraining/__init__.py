"""Train the project's own tokenizer and masked-LM encoder on the unlabelled news corpus.

``tokenizer`` learns a byte-level BPE vocabulary, ``mlm`` pretrains a small RoBERTa on it; both read the
corpus
through ``corpus`` so the held-out slice is excluded the same way everywhere.
"""
