# gradle:4.4-jdk17 for the end-to-end suite: Debian bookworm's OpenJDK 17 and Gradle 4.4.1, the only Gradle the test
# machines can install (services.gradle.org and the plugin portal are not reachable), so test projects use Gradle's
# core plugins alone and build offline. No official image has this tag (Gradle 4.4 predates Java 17): it is named
# after what it holds. JAVA_HOME=/opt/java/openjdk and CMD ["gradle"] as in the official images; their gradle user
# and /root/.gradle -> /home/gradle/.gradle volume are left out (dockmod adds no Gradle cache mount on any gradle
# image, so nothing here depends on them).
FROM debian:bookworm-slim
# openjdk's postinst registers manual pages with update-alternatives and fails when slim removed the folder.
RUN mkdir -p /usr/share/man/man1 \
 && apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates ca-certificates-java openjdk-17-jdk-headless gradle \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /opt/java \
 && ln -s "/usr/lib/jvm/java-17-openjdk-$(dpkg --print-architecture)" /opt/java/openjdk
ENV JAVA_HOME=/opt/java/openjdk
CMD ["gradle"]
