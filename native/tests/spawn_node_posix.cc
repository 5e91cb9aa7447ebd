#include <spawn.h>
#include <sys/wait.h>

#include "baseline_resdll.h"

extern char** environ;

namespace wsfc::tests {

bool runNodeOnce() {
  char node[] = "node";
  char e[] = "-e";
  char zero[] = "0";
  char* argv[] = {node, e, zero, nullptr};
  pid_t pid;
  if (posix_spawnp(&pid, "node", nullptr, nullptr, argv, environ) != 0) return false;
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return false;
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

}  // namespace wsfc::tests
