/*
 * `v6lab shell FILE.scn [--seed N] [--at TIME]`: an interactive prompt on
 * the simulated network of a scenario (v6lab.1, "v6lab shell"). Each line
 * runs on the current node, as a student would type it at that machine;
 * virtual time passes only while a command runs or when asked (`wait 5s`),
 * and the scenario's own timeline happens as it passes.
 */
#ifndef V6LAB_SHELL_H
#define V6LAB_SHELL_H

/* argv[0] is "shell". Exit status: 0 at quit/exit/EOF, 2 for a bad
 * command line or an invalid scenario. */
int v6lab_shell_main(int argc, char **argv);

#endif /* V6LAB_SHELL_H */
