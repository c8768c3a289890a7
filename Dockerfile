# Pollen in a container: a static binary on a slim Debian image with git
# (the bot clones and fetches projects' repositories: internal/reposync),
# run as a non-root user, with the database and clones on a volume. Build with: docker build -t pollen .
# The build stage runs the same command the README gives for a local build.

FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# The version `pollen version` prints: docker build --build-arg VERSION=v1.2.3 .
ARG VERSION=dev
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w -X main.version=${VERSION}" -o /out/pollen . \
 && mkdir -p /out/data

FROM debian:bookworm-slim
# git for repository syncs; openssh-client for an SSH key mounted for
# private repositories; ca-certificates for HTTPS remotes and Slack.
RUN apt-get update \
 && apt-get install -y --no-install-recommends git openssh-client ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --gid 65532 nonroot \
 && useradd --uid 65532 --gid 65532 --home-dir /data --no-create-home --shell /usr/sbin/nologin nonroot
COPY --from=build /out/pollen /usr/local/bin/pollen
COPY --from=build --chown=65532:65532 /out/data /data
ENV POLLEN_DB=/data/pollen.db \
    POLLEN_HTTP_ADDR=:8080 \
    POLLEN_LOG_FORMAT=json
VOLUME ["/data"]
EXPOSE 8080
USER 65532:65532
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["/usr/local/bin/pollen", "health"]
ENTRYPOINT ["/usr/local/bin/pollen"]
CMD ["run"]
