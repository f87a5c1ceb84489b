document.getElementById("print-btn").hidden = false;
document.getElementById("print-btn").addEventListener("click", function () { window.print(); });
