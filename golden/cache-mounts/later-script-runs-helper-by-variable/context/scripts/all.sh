set -e
D=scripts/steps
sh "$D/hello.sh"
