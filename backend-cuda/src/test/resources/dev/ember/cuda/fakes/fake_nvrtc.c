/*
 * A stand-in for libnvrtc with NVRTC's C signatures (nvrtc.h), so that the FFM binding's argument
 * passing, memory handling and error paths run on machines without CUDA. It "compiles" by writing a
 * PTX-like text that echoes what it was given. A source containing FAIL_COMPILE or FAIL_BUILTINS, or
 * the option --not-an-option, makes it fail the way NVRTC does. Not NVRTC: only the calling convention
 * is real.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *source;
    char *name;
    char *ptx;
    char *log;
} fake_program;

static int live_programs;

const char *nvrtcGetErrorString(int result) {
    switch (result) {
        case 0: return "NVRTC_SUCCESS";
        case 3: return "NVRTC_ERROR_INVALID_INPUT";
        case 4: return "NVRTC_ERROR_INVALID_PROGRAM";
        case 5: return "NVRTC_ERROR_INVALID_OPTION";
        case 6: return "NVRTC_ERROR_COMPILATION";
        case 7: return "NVRTC_ERROR_BUILTIN_OPERATION_FAILURE";
        default: return "NVRTC_ERROR unknown to the fake";
    }
}

int nvrtcVersion(int *major, int *minor) {
    if (major == NULL || minor == NULL) {
        return 3;
    }
    *major = 13;
    *minor = 0;
    return 0;
}

int nvrtcCreateProgram(fake_program **prog, const char *src, const char *name, int numHeaders,
                       const char *const *headers, const char *const *includeNames) {
    if (prog == NULL || src == NULL || numHeaders != 0 || headers != NULL || includeNames != NULL) {
        return 3;
    }
    fake_program *p = calloc(1, sizeof *p);
    p->source = strdup(src);
    p->name = strdup(name == NULL ? "default_program" : name);
    *prog = p;
    __atomic_add_fetch(&live_programs, 1, __ATOMIC_SEQ_CST); /* the test compiles from many threads */
    return 0;
}

static char *append(char *text, const char *more) {
    size_t length = text == NULL ? 0 : strlen(text);
    char *grown = realloc(text, length + strlen(more) + 1);
    strcpy(grown + length, more);
    return grown;
}

int nvrtcCompileProgram(fake_program *p, int numOptions, const char *const *options) {
    if (p == NULL || numOptions < 0 || (numOptions > 0 && options == NULL)) {
        return 3;
    }
    char line[256];
    p->log = append(p->log, "");
    for (int i = 0; i < numOptions; i++) {
        if (strcmp(options[i], "--not-an-option") == 0) {
            snprintf(line, sizeof line, "nvrtc: error: unrecognized option %s\n", options[i]);
            p->log = append(p->log, line);
            return 5;
        }
    }
    if (strstr(p->source, "FAIL_BUILTINS") != NULL) {
        return 7;
    }
    if (strstr(p->source, "FAIL_COMPILE") != NULL) {
        for (int i = 1; i <= 30; i++) {
            snprintf(line, sizeof line, "%s(%d): error: fake error number %d\n", p->name, i, i);
            p->log = append(p->log, line);
        }
        return 6;
    }
    p->ptx = append(p->ptx, "//\n// fake PTX\n.version 9.0\n.visible .entry ");
    p->ptx = append(p->ptx, p->name);
    p->ptx = append(p->ptx, "()\n// options:");
    for (int i = 0; i < numOptions; i++) {
        p->ptx = append(p->ptx, " ");
        p->ptx = append(p->ptx, options[i]);
    }
    snprintf(line, sizeof line, "\n// source bytes: %zu\n// source:\n", strlen(p->source));
    p->ptx = append(p->ptx, line);
    p->ptx = append(p->ptx, p->source);
    return 0;
}

int nvrtcGetPTXSize(fake_program *p, size_t *size) {
    if (p == NULL || size == NULL || p->ptx == NULL) {
        return 4;
    }
    *size = strlen(p->ptx) + 1;
    return 0;
}

int nvrtcGetPTX(fake_program *p, char *ptx) {
    if (p == NULL || ptx == NULL || p->ptx == NULL) {
        return 4;
    }
    strcpy(ptx, p->ptx);
    return 0;
}

int nvrtcGetProgramLogSize(fake_program *p, size_t *size) {
    if (p == NULL || size == NULL) {
        return 4;
    }
    *size = (p->log == NULL ? 0 : strlen(p->log)) + 1;
    return 0;
}

int nvrtcGetProgramLog(fake_program *p, char *log) {
    if (p == NULL || log == NULL) {
        return 4;
    }
    strcpy(log, p->log == NULL ? "" : p->log);
    return 0;
}

int nvrtcDestroyProgram(fake_program **prog) {
    if (prog == NULL || *prog == NULL) {
        return 4;
    }
    fake_program *p = *prog;
    free(p->source);
    free(p->name);
    free(p->ptx);
    free(p->log);
    free(p);
    *prog = NULL;
    __atomic_sub_fetch(&live_programs, 1, __ATOMIC_SEQ_CST);
    return 0;
}

/* Not NVRTC: how many programs were created and not destroyed, for the test. */
int fake_live_programs(void) {
    return __atomic_load_n(&live_programs, __ATOMIC_SEQ_CST);
}
