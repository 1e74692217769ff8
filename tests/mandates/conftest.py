from tests.registers.conftest import standin, standin_process  # noqa: F401
