"""diffuse: manage the spread of approved best practices across every site of a health system."""

__version__ = "0.1.0"
