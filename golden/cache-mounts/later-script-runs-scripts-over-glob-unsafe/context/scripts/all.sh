set -e
for s in scripts/steps/*.sh; do sh "$s"; done
