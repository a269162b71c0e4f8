"""The data model every stage shares: documents, spans, events, labels, the analysis, errors."""
