"""Human handoff: the queue, the packet an agent receives, and the agent's actions."""
