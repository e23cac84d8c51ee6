# The paydrill image: the static binary built on the host (make image), no
# base image to pull. It serves `paydrill router` and `paydrill mock` in
# container drills (docs/containers.md).
FROM scratch
COPY bin/paydrill-linux /paydrill
ENTRYPOINT ["/paydrill"]
