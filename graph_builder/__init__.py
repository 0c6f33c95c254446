"""graph_builder: news articles in, a knowledge graph of people, roles and events out."""

__version__ = "0.1.0"
