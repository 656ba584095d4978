#include <sys/stat.h>
int main(void) { return mkdir("/opt/app/data", 0755); }
