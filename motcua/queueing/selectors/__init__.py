"""Queue reads: the board, a ticket's position, the counter desk, appointment slots, statistics."""
