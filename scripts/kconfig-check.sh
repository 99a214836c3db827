#!/usr/bin/env bash
# Fail when an option of the config fragment did not make it into .config
# (a dependency missing, a renamed symbol): better now than a confusing boot.
set -euo pipefail
frag=$1 config=$2
bad=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*)
		if ! grep -qx -- "$line" "$config"; then
			echo "kconfig-check: $line requested by $frag but .config has: $(grep -- "^${line%%=*}=" "$config" || echo 'not set')"
			bad=1
		fi
		;;
	esac
done <"$frag"
exit $bad
