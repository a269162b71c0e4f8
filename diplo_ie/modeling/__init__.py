"""The token-classification + relation + status model and its inference."""

from diplo_ie.modeling.config import EncodingConfig, HeadConfig
from diplo_ie.modeling.model import DiploModel
from diplo_ie.modeling.predict import Prediction

__all__ = ["DiploModel", "EncodingConfig", "HeadConfig", "Prediction"]
