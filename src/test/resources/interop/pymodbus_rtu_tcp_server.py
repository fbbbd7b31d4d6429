"""An independent Modbus RTU bus behind a serial-to-Ethernet converter: pymodbus' RTU framer on TCP.

usage: python3 pymodbus_rtu_tcp_server.py PORT
Units 1 and 2 answer; any other unit id gets no answer at all (a silent device on the bus).
Input and holding registers 0..199 of unit u hold (i * 397 + u) % 65536; coils and discrete
inputs 0..199 are set where i % 3 == 0. Prints READY when listening.
"""
import logging
import sys
import threading

from pymodbus.datastore import ModbusSequentialDataBlock, ModbusServerContext, ModbusSlaveContext
from pymodbus.framer.rtu_framer import ModbusRtuFramer
from pymodbus.server import StartTcpServer

port = int(sys.argv[1])


def unit(u):
    words = [(i * 397 + u) % 65536 for i in range(200)]
    bits = [i % 3 == 0 for i in range(200)]
    return ModbusSlaveContext(
        di=ModbusSequentialDataBlock(0, bits),
        co=ModbusSequentialDataBlock(0, bits),
        hr=ModbusSequentialDataBlock(0, words),
        ir=ModbusSequentialDataBlock(0, words),
        zero_mode=True,
    )


context = ModbusServerContext(slaves={1: unit(1), 2: unit(2)}, single=False)
logging.basicConfig(level=logging.ERROR)
threading.Timer(1.0, lambda: print("READY", flush=True)).start()
StartTcpServer(context=context, address=("127.0.0.1", port), framer=ModbusRtuFramer, ignore_missing_slaves=True)
