"""What TAC Bot does, platform-neutral: the grammar, the use cases, permissions and the reply model."""
