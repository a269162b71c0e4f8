"""Train the project's own tokenizer and pretrain its encoder on the unlabelled news corpora.

``tokenizer`` learns a byte-level BPE vocabulary; ``data`` tokenizes the corpora once into token arrays
(the held-out slice of ``corpus`` set aside); ``masking`` picks whole words and names as targets; ``mlm``
(masked LM) and ``electra`` (replaced-token detection) are the objectives; ``trainer`` runs, checkpoints and
exports.
"""
