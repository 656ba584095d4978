set +e
