# syntax=docker/dockerfile:1
# One image with the three static binaries: /usr/local/bin/{pacto,pacto-operator,pacto-dashboard}.
# The builder stage runs scripts/build-static.sh (static musl, mimalloc). Where no base image can
# be pulled, `--build-arg BINARIES=prebuilt` takes the same binaries from the build context
# instead (scripts/build-image.sh: build-static.sh on the host, then buildah).
ARG BINARIES=builder

FROM rust:1.95-bookworm AS builder
# musl-gcc: ring and mimalloc compile C for the musl target.
RUN apt-get update \
 && apt-get install -y --no-install-recommends musl-tools=1.2.3-1 \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    scripts/build-static.sh /out

# The context scripts/build-image.sh prepares: bin/ (build-static.sh's output) and the CA bundle.
FROM scratch AS prebuilt
COPY bin/ /out/
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt

# hadolint ignore=DL3006
FROM ${BINARIES} AS binaries

FROM scratch
LABEL org.opencontainers.image.title="pacto" \
      org.opencontainers.image.description="pacto CLI, pacto-operator and pacto-dashboard (static)" \
      org.opencontainers.image.source="https://github.com/TrianaLab/pacto" \
      org.opencontainers.image.licenses="Apache-2.0"
COPY --from=binaries /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=binaries /out/ /usr/local/bin/
ENV PATH=/usr/local/bin \
    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \
    XDG_CACHE_HOME=/cache
# Non-root (distroless "nonroot" ids); the chart mounts emptyDirs at /cache and /tmp.
USER 65532:65532
ENTRYPOINT ["/usr/local/bin/pacto"]
