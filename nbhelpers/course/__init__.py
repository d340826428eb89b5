"""The course around the algorithm: exercise feedback, the bug zoo, the course map, the
environment check."""
