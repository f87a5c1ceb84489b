"""Routing writes: the routing table, the repeat and cluster indexes, confirmations, training."""
