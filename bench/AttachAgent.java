// SPDX-License-Identifier: Apache-2.0
import com.sun.tools.attach.VirtualMachine;

/**
 * Loads a native agent into a running JVM with its options passed verbatim (jcmd's JVMTI.agent_load splits
 * async-profiler's "key=value,..." options). Used by bench/run.sh: java bench/AttachAgent.java PID LIBRARY OPTIONS
 */
public final class AttachAgent {
  public static void main(String[] args) throws Exception {
    VirtualMachine vm = VirtualMachine.attach(args[0]);
    try {
      vm.loadAgentPath(args[1], args[2]);
    } finally {
      vm.detach();
    }
  }
}
