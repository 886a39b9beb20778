"""The embedded local stack behind ``make run``: the built guide and the real handlers on
127.0.0.1, with moto as the local AWS."""
