"""The pages of the import wizard: step 1 and 2 in ``wizard``, the import's own pages in ``jobs``."""
