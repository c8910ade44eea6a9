# The DynamoDB backend's tests (on a local dynalite) and its benchmark.
TESTS += tests/integration/dynamodb_conformance.sh
EXTRA_DIST += tests/dynalite/package.json tests/dynalite/package-lock.json \
	tests/dynalite/dynalite.sh tests/integration/dynamodb_conformance.sh
