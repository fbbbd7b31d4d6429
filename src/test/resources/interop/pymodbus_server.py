"""An independent Modbus TCP device (pymodbus) for interoperability tests.

usage: python3 pymodbus_server.py PORT
Input and holding registers 0..199 hold (i * 397) % 65536; coils and discrete inputs 0..199
are set where i % 3 == 0. Prints READY when listening.
"""
import logging
import sys
import threading

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.server import StartTcpServer

port = int(sys.argv[1])
words = [(i * 397) % 65536 for i in range(200)]
bits = [i % 3 == 0 for i in range(200)]
store = ModbusSlaveContext(
    di=ModbusSequentialDataBlock(0, bits),
    co=ModbusSequentialDataBlock(0, bits),
    hr=ModbusSequentialDataBlock(0, words),
    ir=ModbusSequentialDataBlock(0, words),
    zero_mode=True,
)
context = ModbusServerContext(slaves=store, single=True)
logging.basicConfig(level=logging.WARNING)
threading.Timer(1.0, lambda: print("READY", flush=True)).start()
StartTcpServer(context=context, address=("127.0.0.1", port))
