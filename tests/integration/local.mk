# integration tests

# The DynamoDB backend keeps its test and benchmark targets in its own fragment.
include tests/dynalite/local.mk

# Conversation state in the store and one commit per exchange, on SQLite
# (the DynamoDB run, dynamodb_conversation.sh, is in tests/dynalite/local.mk).
TESTS += tests/integration/conversation_state.sh
EXTRA_DIST += tests/integration/conversation_state.sh tests/integration/exchange_lib.sh
