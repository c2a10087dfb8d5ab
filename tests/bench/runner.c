/* bench runner: runs one command and reports its wall time and peak RSS.
 *
 *     runner COMMAND [ARGS...]
 *
 * The command's standard input and output are /dev/null, its standard
 * error is this program's.  When it has ended, prints one line to standard
 * output:  WALL_SECONDS PEAK_RSS_KB EXIT
 * (EXIT: the exit code, or 128 + N after signal N).  Wall time runs from
 * just before fork to wait4's return; peak RSS is the child's ru_maxrss
 * from wait4, which includes the children it waited for.  A small C
 * launcher keeps the RSS floor (the launcher's own pages, which a child
 * shares until exec) near 1 MB, where Python's would be ~14 MB.
 * Returns 0 when the command could be run, 2 otherwise. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	if (argc < 2) {
		fputs("usage: runner COMMAND [ARGS...]\n", stderr);
		return 2;
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid_t pid = fork();
	if (pid < 0) {
		perror("runner: fork");
		return 2;
	}
	if (pid == 0) {
		int fd = open("/dev/null", O_RDWR);
		if (fd >= 0) {
			dup2(fd, 0);
			dup2(fd, 1);
			if (fd > 2)
				close(fd);
		}
		execvp(argv[1], argv + 1);
		perror(argv[1]);
		_exit(127);
	}
	int status;
	struct rusage ru;
	if (wait4(pid, &status, 0, &ru) < 0) {
		perror("runner: wait4");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double wall = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	int code = WIFEXITED(status) ? WEXITSTATUS(status) :
	    128 + WTERMSIG(status);
	printf("%.6f %ld %d\n", wall, ru.ru_maxrss, code);
	return 0;
}
