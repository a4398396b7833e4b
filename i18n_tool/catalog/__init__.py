"""Reading and writing .po/.pot/.mo files, merging, and the message model (Babel's)."""
