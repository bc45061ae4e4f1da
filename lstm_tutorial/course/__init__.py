"""Course tooling: student copies and autograders, and the checks on numbers in the prose."""
