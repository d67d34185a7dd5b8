/*
 * pdeathsig PROGRAM ARGS...: runs PROGRAM (exec, same pid) so that the kernel
 * sends it SIGKILL when its parent dies (Linux prctl PR_SET_PDEATHSIG, kept
 * across exec). With PROGRAM empty, the program is taken from the
 * PERFKIT_PDEATHSIG_EXEC variable (for launchers that only pass arguments).
 * The toolkit starts Chromium through it, so a browser never outlives a
 * toolkit process that was killed with SIGKILL.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char **argv) {
  pid_t parent = getppid();
  if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) {
    perror("pdeathsig: prctl");
    return 127;
  }
  /* The parent may have died before prctl: then nobody would signal us. */
  if (getppid() != parent) return 127;
  const char *program = getenv("PERFKIT_PDEATHSIG_EXEC");
  char **args = argv;
  if (program && *program) {
    args[0] = (char *)program;
  } else {
    if (argc < 2) {
      fprintf(stderr, "usage: pdeathsig PROGRAM [ARGS...]\n");
      return 127;
    }
    program = argv[1];
    args = argv + 1;
  }
  unsetenv("PERFKIT_PDEATHSIG_EXEC");
  execv(program, args);
  perror("pdeathsig: exec");
  return 127;
}
