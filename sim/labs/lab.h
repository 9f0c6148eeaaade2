/*
 * `v6lab lab list | show N | run N | check N | init N | hash VALUE`: the
 * teaching labs in labs/NN-slug/ (v6lab.1, LABS). lab_int.h describes
 * the pieces.
 */
#ifndef V6LAB_LAB_H
#define V6LAB_LAB_H

/* argv[0] is "lab". Exit status: 0 every goal met (or the command done),
 * 1 a goal not met (or init refused to overwrite), 2 usage or lab error. */
int v6lab_lab_main(int argc, char **argv);

#endif /* V6LAB_LAB_H */
