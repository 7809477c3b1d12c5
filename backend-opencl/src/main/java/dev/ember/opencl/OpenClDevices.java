package dev.ember.opencl;

import dev.ember.gpu.CStrings;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Lists OpenCL devices and picks the one to use: the backend's {@code device} option
 * ({@code -Dember.opencl.device=INDEX|NAME-SUBSTRING}), by default the first GPU, else the first
 * accelerator, else the first CPU device.
 */
public final class OpenClDevices {
    private OpenClDevices() {
    }

    /**
     * Every device of every platform, in platform order.
     *
     * @throws IllegalStateException if no platform is installed or no platform has a device
     */
    public static List<DeviceInfo> all() {
        int[] count = new int[1];
        try {
            CL.clGetPlatformIDs(0, null, count);
        } catch (CLException e) {
            if (e.getStatus() != CL.CL_PLATFORM_NOT_FOUND_KHR) {
                throw ClErrors.wrap("clGetPlatformIDs", e);
            }
            count[0] = 0; // the ICD loader found no driver
        }
        if (count[0] == 0) {
            throw new IllegalStateException("no OpenCL platform found (libOpenCL.so loaded, but no driver is"
                    + " registered in /etc/OpenCL/vendors): install an OpenCL driver such as pocl-opencl-icd");
        }
        cl_platform_id[] platforms = new cl_platform_id[count[0]];
        CL.clGetPlatformIDs(count[0], platforms, null);
        List<DeviceInfo> devices = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (cl_platform_id platform : platforms) {
            String platformName = platformString(platform, CL.CL_PLATFORM_NAME);
            names.add(platformName);
            for (cl_device_id device : devicesOf(platform)) {
                devices.add(info(devices.size(), platform, platformName, device));
            }
        }
        if (devices.isEmpty()) {
            throw new IllegalStateException("OpenCL platform(s) " + names + " report no device");
        }
        return devices;
    }

    /**
     * The device a request names: a flat index or a case-insensitive substring of "platform device";
     * null or blank means the first GPU, else the first accelerator, else the first CPU device.
     * Empty when the request matches no device.
     */
    public static Optional<DeviceInfo> select(List<DeviceInfo> devices, String request) {
        if (request == null || request.isBlank()) {
            return firstOfType(devices, CL.CL_DEVICE_TYPE_GPU)
                    .or(() -> firstOfType(devices, CL.CL_DEVICE_TYPE_ACCELERATOR))
                    .or(() -> firstOfType(devices, CL.CL_DEVICE_TYPE_CPU))
                    .or(() -> Optional.of(devices.getFirst()));
        }
        String wanted = request.trim();
        if (wanted.chars().allMatch(Character::isDigit)) {
            int index = wanted.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(wanted); // no overflow
            return index < devices.size() ? Optional.of(devices.get(index)) : Optional.empty();
        }
        String needle = wanted.toLowerCase(Locale.ROOT);
        return devices.stream()
                .filter(d -> (d.platformName() + " " + d.name()).toLowerCase(Locale.ROOT).contains(needle))
                .findFirst();
    }

    /** "devices: 0: platform / name (type), 1: ..." for error messages. */
    static String list(List<DeviceInfo> devices) {
        StringBuilder sb = new StringBuilder("devices:");
        for (DeviceInfo d : devices) {
            sb.append(d.index() == 0 ? " " : ", ").append(d.index()).append(": ").append(d.platformName())
                    .append(" / ").append(d.name()).append(" (").append(d.typeName()).append(')');
        }
        return sb.toString();
    }

    private static Optional<DeviceInfo> firstOfType(List<DeviceInfo> devices, long type) {
        return devices.stream().filter(d -> (d.type() & type) != 0).findFirst();
    }

    private static cl_device_id[] devicesOf(cl_platform_id platform) {
        int[] count = new int[1];
        try {
            CL.clGetDeviceIDs(platform, CL.CL_DEVICE_TYPE_ALL, 0, null, count);
        } catch (CLException e) {
            if (e.getStatus() == CL.CL_DEVICE_NOT_FOUND) {
                return new cl_device_id[0];
            }
            throw ClErrors.wrap("clGetDeviceIDs", e);
        }
        cl_device_id[] devices = new cl_device_id[count[0]];
        CL.clGetDeviceIDs(platform, CL.CL_DEVICE_TYPE_ALL, count[0], devices, null);
        return devices;
    }

    private static DeviceInfo info(int index, cl_platform_id platform, String platformName, cl_device_id device) {
        String extensions = deviceString(device, CL.CL_DEVICE_EXTENSIONS);
        return new DeviceInfo(index, platform, device, platformName,
                deviceString(device, CL.CL_DEVICE_NAME).trim(),
                deviceLong(device, CL.CL_DEVICE_TYPE),
                (int) deviceInt(device, CL.CL_DEVICE_MAX_COMPUTE_UNITS),
                deviceLong(device, CL.CL_DEVICE_LOCAL_MEM_SIZE),
                deviceSize(device, CL.CL_DEVICE_MAX_WORK_GROUP_SIZE),
                deviceLong(device, CL.CL_DEVICE_GLOBAL_MEM_SIZE),
                deviceLong(device, CL.CL_DEVICE_MAX_MEM_ALLOC_SIZE),
                extensions.contains("cl_khr_fp64"),
                deviceString(device, CL.CL_DEVICE_VERSION).trim());
    }

    private static String platformString(cl_platform_id platform, int param) {
        long[] size = new long[1];
        CL.clGetPlatformInfo(platform, param, 0, null, size);
        byte[] buffer = new byte[(int) size[0]];
        CL.clGetPlatformInfo(platform, param, buffer.length, Pointer.to(buffer), null);
        return CStrings.of(buffer);
    }

    private static String deviceString(cl_device_id device, int param) {
        long[] size = new long[1];
        CL.clGetDeviceInfo(device, param, 0, null, size);
        byte[] buffer = new byte[(int) size[0]];
        CL.clGetDeviceInfo(device, param, buffer.length, Pointer.to(buffer), null);
        return CStrings.of(buffer);
    }

    private static long deviceInt(cl_device_id device, int param) {
        int[] value = new int[1];
        CL.clGetDeviceInfo(device, param, Sizeof.cl_uint, Pointer.to(value), null);
        return value[0] & 0xFFFFFFFFL;
    }

    private static long deviceLong(cl_device_id device, int param) {
        long[] value = new long[1];
        CL.clGetDeviceInfo(device, param, Sizeof.cl_ulong, Pointer.to(value), null);
        return value[0];
    }

    private static long deviceSize(cl_device_id device, int param) {
        long[] value = new long[1];
        CL.clGetDeviceInfo(device, param, Sizeof.size_t, Pointer.to(value), null);
        return value[0];
    }
}
