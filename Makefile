# The two commands a new user needs: `make run` and `make test`. Everything else is here too.
BUILD_DIR ?= build
JOBS ?= 2
CMAKE_FLAGS ?=
GENERATOR := $(shell command -v ninja >/dev/null 2>&1 && echo Ninja || echo "Unix Makefiles")

.PHONY: all bootstrap configure build run test bench format clean

all: build

bootstrap:
	@./scripts/bootstrap

configure: bootstrap
	@cmake -S . -B $(BUILD_DIR) -G "$(GENERATOR)" $(CMAKE_FLAGS) >/dev/null

build: configure
	@cmake --build $(BUILD_DIR) -j $(JOBS)

# The main job: the server on its embedded default store (build/dtwin serve, ./dtwin-data):
# plain HTTP on 127.0.0.1:8080 for curl and the CLI, HTTPS on 127.0.0.1:8443 with a development
# CA made in ./dtwin-data/tls/ on first start (docs/server.md, "Development TLS on first start").
run: build
	@./scripts/run-main

test: build
	@ctest --test-dir $(BUILD_DIR) --output-on-failure -j $(JOBS)

bench: build
	@./scripts/run-benchmarks $(BUILD_DIR)

format:
	@find src apps tests bench -name '*.h' -o -name '*.cc' | xargs clang-format -i

clean:
	@rm -rf $(BUILD_DIR)
