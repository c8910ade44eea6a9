# integration tests

# The DynamoDB backend keeps its test and benchmark targets in its own fragment.
include tests/dynalite/local.mk
