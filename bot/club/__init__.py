"""Club nights: members suggest films, a native Discord poll picks one, and members rate what they watched."""
