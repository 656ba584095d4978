# debian:bookworm for the end-to-end suite: a `debootstrap --variant=minbase bookworm` root (made by
# tests/e2e/baseimages.py, which writes rootfs.tar and debian.sources into the build context).
FROM scratch
ADD rootfs.tar /
COPY debian.sources /etc/apt/sources.list.d/debian.sources
COPY files/docker-clean /etc/apt/apt.conf.d/docker-clean
# Test machines reach package registries through a TLS-intercepting proxy: the host's CA bundle is baked
# into these test base images (never into app images). Tools that read the environment use the bundle
# directly; the per-certificate copies feed update-ca-certificates (and the JDK trust store through
# ca-certificates-java) once an image installs ca-certificates.
COPY host-ca-bundle.crt /etc/dockmod-e2e/host-ca-bundle.crt
RUN rm -f /etc/apt/sources.list \
 && mkdir -p /usr/local/share/ca-certificates/dockmod-e2e \
 && awk '/-----BEGIN CERTIFICATE-----/ { n++; f = sprintf("/usr/local/share/ca-certificates/dockmod-e2e/host-%03d.crt", n) } f { print > f } /-----END CERTIFICATE-----/ { close(f); f = "" }' /etc/dockmod-e2e/host-ca-bundle.crt
ENV SSL_CERT_FILE=/etc/dockmod-e2e/host-ca-bundle.crt \
    NODE_EXTRA_CA_CERTS=/etc/dockmod-e2e/host-ca-bundle.crt \
    PIP_CERT=/etc/dockmod-e2e/host-ca-bundle.crt \
    REQUESTS_CA_BUNDLE=/etc/dockmod-e2e/host-ca-bundle.crt \
    CURL_CA_BUNDLE=/etc/dockmod-e2e/host-ca-bundle.crt \
    GIT_SSL_CAINFO=/etc/dockmod-e2e/host-ca-bundle.crt
CMD ["bash"]
