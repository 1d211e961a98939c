"""Diffusion frameworks shipped as workflow templates: phases, gates, roles and duties."""
