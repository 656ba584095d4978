"""``split-stages``: turn a single stage that builds and runs into a ``builder`` stage and a runtime stage.

The builder keeps every instruction up to the end of the build, unchanged. The runtime stage starts again from
the same base image (or one the user names), repeats the setup the program needs at run time (ENV, ARG, WORKDIR,
USER, EXPOSE, LABEL, VOLUME, HEALTHCHECK, runtime system packages, users and folders), gets only what executes
from the builder, and then runs the instructions that followed the build. See ``transforms/split-stages.md``.

What "what executes" is comes from evidence in the file and its build context, never from guessing:

* Node: the build script in ``package.json`` names a tool whose output folder is known (``tsc`` with
  ``outDir``, ``nest``, ``vite``, ``next``...); the runtime installs production dependencies from the lockfile
  and copies that folder. The start command must not need a devDependency.
* Go, Rust, Java: the start command runs the binary or jar the build produced (``go build -o``, ``go install``,
  ``cargo build --release``, Maven's ``target/``, Gradle's ``build/``), followed through ``cp``/``mv``.
* Python: compilers and ``-dev`` packages stay in the builder; the dependencies go into a virtual environment
  that the runtime copies, together with the application folder.

Every split changes what is in the final image, so every fix is at best UNSAFE until a real build proves it.

``transform`` holds the transform and the splitter it runs: it tells which ecosystem the stage builds, follows
the plan for it and composes the edit. The splitter is one class built up from the modules below it: ``facts``
reads the stage once (its steps, copies from the build context, start command) and holds the rules every plan
follows (which RUN lines the runtime stage repeats, which system packages it keeps, where the build part ends);
``interpreted`` plans a Node or Python split (a production install or a virtual environment, and the
application's files) and ``programs`` a Go, Rust or Java one (the program the build produced, and a static
runtime). ``common`` holds the plan's records, the start command, what dockmod knows of a RUN's commands, and
helpers.
"""

from dockmod.transforms.split_stages.transform import SplitStages

__all__ = ["SplitStages"]
