"""Settings > Layout Editor: a module's blocks and fields, custom fields, and their arrangement."""
