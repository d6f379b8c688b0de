"""Named check kinds (numpy only): each measures one coaching point over a frame window."""
