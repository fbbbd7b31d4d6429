"""An independent Modbus TCP gateway (pymodbus) with two units behind it, for interoperability tests.

usage: python3 pymodbus_gateway.py PORT
Unit u (1 or 2): input registers 0..99 hold (i * 397 + u * 1000) % 65536. A request to any other
unit id gets no answer at all (pymodbus 3.0's framer drops it before the 0B answer it would
otherwise send): a dead unit behind a gateway that stays silent. Prints READY when listening.
"""
import logging
import sys
import threading

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.server import StartTcpServer

port = int(sys.argv[1])


def unit(u):
    words = [(i * 397 + u * 1000) % 65536 for i in range(100)]
    return ModbusSlaveContext(ir=ModbusSequentialDataBlock(0, words), hr=ModbusSequentialDataBlock(0, words), zero_mode=True)


context = ModbusServerContext(slaves={1: unit(1), 2: unit(2)}, single=False)
logging.basicConfig(level=logging.WARNING)
threading.Timer(1.0, lambda: print("READY", flush=True)).start()
StartTcpServer(context=context, address=("127.0.0.1", port), ignore_missing_slaves=False)
