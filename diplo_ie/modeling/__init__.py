"""The token classifier with its relation and status heads: encoding, heads, features, inference, backends.

Submodules are imported one by one so that light ones (backend and precision names) load no torch.
"""
