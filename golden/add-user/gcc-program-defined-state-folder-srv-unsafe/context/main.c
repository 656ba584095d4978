#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <sys/stat.h>
#define STATE_DIR "/srv/state"
int main(void) {
  if (mkdir(STATE_DIR, 0755) != 0 && errno != EEXIST) { printf("error: %s\n", strerror(errno)); return 1; }
  printf("made %s\n", STATE_DIR);
  return 0;
}
