"""The review: what an assessment says (vocabulary) and how three pairs of eyes make an item
final (workflow)."""
