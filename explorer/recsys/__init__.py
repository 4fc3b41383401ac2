"""Interaction logs and the recommender around the model: log and metadata readers, splits,
ranking metrics against a popularity baseline, recommendations with their reasons.
"""
