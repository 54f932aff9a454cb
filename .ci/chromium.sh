#!/usr/bin/env bash
# Makes sure the console's browser tests have Chromium and chromedriver: installs them from the distribution's packages
# (Debian: chromium, chromium-driver) when either is missing. Without them those tests are skipped, with the reason in
# the report. Source it (`source .ci/chromium.sh`) or run it before `./mvnw verify`.

if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then
    echo "Chromium: $(chromium --version 2>/dev/null | head -n 1); $(chromedriver --version 2>/dev/null | head -n 1)"
else
    echo "Chromium: not installed; installing chromium and chromium-driver from the distribution's packages"
    if [ "$(id -u)" -eq 0 ]; then chromium_sudo=""; else chromium_sudo="sudo"; fi
    if $chromium_sudo apt-get update -qq \
            && DEBIAN_FRONTEND=noninteractive $chromium_sudo apt-get install -y -qq chromium chromium-driver >/dev/null; then
        echo "Chromium: $(chromium --version 2>/dev/null | head -n 1)"
    else
        echo "Chromium: could not be installed; the browser tests will be skipped"
    fi
fi
