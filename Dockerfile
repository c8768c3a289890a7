# Pollen in a container: a static binary on a distroless, non-root image,
# with the database on a volume. Build with: docker build -t pollen .
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

FROM gcr.io/distroless/static-debian12:nonroot
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
